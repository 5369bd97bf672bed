import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';

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
