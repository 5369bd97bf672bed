import type { FieldNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';

/** Whether the query selects `name` directly under the current field (through fragments too). */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  return info.fieldNodes.some((node) => node.selectionSet !== undefined && inSelectionSet(node.selectionSet, name, info));
}

function inSelectionSet(selectionSet: SelectionSetNode, name: string, info: GraphQLResolveInfo): boolean {
  return selectionSet.selections.some((selection) => {
    if (selection.kind === 'Field') return selection.name.value === name;
    if (selection.kind === 'InlineFragment') return inSelectionSet(selection.selectionSet, name, info);
    const fragment = info.fragments[selection.name.value];
    return fragment !== undefined && inSelectionSet(fragment.selectionSet, name, info);
  });
}

/**
 * The names of the fields selected under `child` of the current field (through fragments on
 * either level); null when `child` itself is not selected.
 */
export function fieldsSelectedUnder(info: GraphQLResolveInfo, child: string): Set<string> | null {
  const children: FieldNode[] = [];
  for (const node of info.fieldNodes) if (node.selectionSet) collectFields(node.selectionSet, info, (field) => field.name.value === child && children.push(field));
  if (children.length === 0) return null;
  const names = new Set<string>();
  for (const node of children) if (node.selectionSet) collectFields(node.selectionSet, info, (field) => names.add(field.name.value));
  return names;
}

function collectFields(selectionSet: SelectionSetNode, info: GraphQLResolveInfo, visit: (field: FieldNode) => unknown): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === 'Field') visit(selection);
    else if (selection.kind === 'InlineFragment') collectFields(selection.selectionSet, info, visit);
    else {
      const fragment = info.fragments[selection.name.value];
      if (fragment) collectFields(fragment.selectionSet, info, visit);
    }
  }
}
