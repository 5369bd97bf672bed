import { byId, listedIn } from '../../src/relations/catalog-index';

const catalog = [
  { id: 7, name: 'Alpha', validId: 1 },
  { id: 3, name: 'Beta', validId: 2 },
  { id: 5, name: 'Gamma', validId: 1 },
];

it('finds by id, and nothing for an unknown id', () => {
  expect(byId(catalog, 5)?.name).toBe('Gamma');
  expect(byId(catalog, 4)).toBeUndefined();
});

it('lists the named items once each, in catalog order, skipping unknown ids and those not kept', () => {
  expect(listedIn(catalog, [5, 7, 5, 99]).map((s) => s.name)).toEqual(['Alpha', 'Gamma']);
  expect(listedIn(catalog, [3, 5, 7], (s) => s.validId === 1).map((s) => s.name)).toEqual(['Alpha', 'Gamma']);
  expect(listedIn(catalog, [])).toEqual([]);
});

it('indexes each list by itself: a changed catalog (a new array) is not answered from the old one', () => {
  expect(byId(catalog, 7)?.name).toBe('Alpha');
  const renamed = catalog.map((s) => (s.id === 7 ? { ...s, name: 'Omega' } : s));
  expect(byId(renamed, 7)?.name).toBe('Omega');
});
