import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createWeightedPicker } from './create-weighted-picker.ts';
import type { WeightedPicker } from './weighted-picker.ts';

type Items = readonly { id: string; weight: number }[];

function countFirstPicks(
  picker: WeightedPicker,
  group: string,
  items: Items,
  calls: number,
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[item.id] = 0;
  for (let call = 0; call < calls; call++) {
    const [first] = picker.order(group, items);
    assert.ok(first !== undefined);
    counts[first] = (counts[first] ?? 0) + 1;
  }
  return counts;
}

function firstPicks(picker: WeightedPicker, group: string, items: Items, calls: number): string {
  let sequence = '';
  for (let call = 0; call < calls; call++) sequence += picker.order(group, items)[0];
  return sequence;
}

test('3:1 over 2,000 calls gives exactly 1,500 and 500 first picks', () => {
  const items = [
    { id: 'a', weight: 3 },
    { id: 'b', weight: 1 },
  ];
  assert.deepEqual(countFirstPicks(createWeightedPicker(), 'm#0', items, 2_000), {
    a: 1_500,
    b: 500,
  });
});

test('picks are interleaved, not bunched', () => {
  const items = [
    { id: 'a', weight: 3 },
    { id: 'b', weight: 1 },
  ];
  assert.equal(firstPicks(createWeightedPicker(), 'm#0', items, 8), 'aabaaaba');
  const five = [
    { id: 'a', weight: 5 },
    { id: 'b', weight: 1 },
    { id: 'c', weight: 1 },
  ];
  assert.equal(firstPicks(createWeightedPicker(), 'm#0', five, 7), 'aabacaa');
});

test('exact proportions for several weight sets, fractional ones included', () => {
  const cases: { items: Items; calls: number; expected: Record<string, number> }[] = [
    {
      items: [
        { id: 'a', weight: 1 },
        { id: 'b', weight: 1 },
        { id: 'c', weight: 2 },
      ],
      calls: 2_000,
      expected: { a: 500, b: 500, c: 1_000 },
    },
    {
      items: [
        { id: 'a', weight: 5 },
        { id: 'b', weight: 0.5 },
      ],
      calls: 1_100,
      expected: { a: 1_000, b: 100 },
    },
    {
      items: [
        { id: 'a', weight: 0.1 },
        { id: 'b', weight: 0.2 },
      ],
      calls: 300_000,
      expected: { a: 100_000, b: 200_000 },
    },
    {
      items: [
        { id: 'a', weight: 7 },
        { id: 'b', weight: 2 },
        { id: 'c', weight: 1 },
      ],
      calls: 1_000,
      expected: { a: 700, b: 200, c: 100 },
    },
  ];
  for (const { items, calls, expected } of cases) {
    assert.deepEqual(countFirstPicks(createWeightedPicker(), 'g', items, calls), expected);
  }
});

test('equal fractional weights rotate strictly, with no rounding noise deciding ties', () => {
  const items = [
    { id: 'a', weight: 0.1 },
    { id: 'b', weight: 0.1 },
    { id: 'c', weight: 0.1 },
  ];
  assert.equal(firstPicks(createWeightedPicker(), 'g', items, 30_000), 'abc'.repeat(10_000));
});

test('the rest follow by descending weight, ties in input order', () => {
  const picker = createWeightedPicker();
  const items = [
    { id: 'small', weight: 1 },
    { id: 'twin-1', weight: 2 },
    { id: 'big', weight: 4 },
    { id: 'twin-2', weight: 2 },
  ];
  assert.deepEqual(picker.order('g', items), ['big', 'twin-1', 'twin-2', 'small']);
  const orders = Array.from({ length: 9 }, () => picker.order('g', items));
  for (const order of orders) {
    const [first, ...rest] = order;
    const expectedRest = ['big', 'twin-1', 'twin-2', 'small'].filter((id) => id !== first);
    assert.deepEqual(rest, expectedRest);
  }
  assert.deepEqual(
    orders.map((order) => order[0]),
    // Calls 2–10: one whole cycle of 9 from call 2 on gives 4 : 2 : 2 : 1, then it starts over.
    ['twin-1', 'twin-2', 'big', 'small', 'big', 'twin-1', 'twin-2', 'big', 'big'],
  );
});

test('a deployment absent from a call is skipped and the others share by weight', () => {
  const picker = createWeightedPicker();
  const all = [
    { id: 'a', weight: 1 },
    { id: 'b', weight: 1 },
    { id: 'c', weight: 2 },
  ];
  countFirstPicks(picker, 'g', all, 3);
  const withoutC = all.filter((item) => item.id !== 'c');
  const orders = Array.from({ length: 1_000 }, () => picker.order('g', withoutC));
  assert.ok(orders.every((order) => order.length === 2 && !order.includes('c')));
  const aPicks = orders.filter((order) => order[0] === 'a').length;
  assert.equal(aPicks, 500);
  // Back again: over whole cycles the shares return to 1:1:2.
  const counts = countFirstPicks(picker, 'g', all, 4_000);
  for (const [id, expected] of Object.entries({ a: 1_000, b: 1_000, c: 2_000 })) {
    assert.ok(Math.abs((counts[id] ?? 0) - expected) <= 1, `${id}: ${counts[id]}`);
  }
});

test('a deployment that is down from the start does not disturb the exact shares', () => {
  const picker = createWeightedPicker();
  const items = [
    { id: 'a', weight: 3 },
    { id: 'c', weight: 1 },
  ];
  assert.deepEqual(countFirstPicks(picker, 'g', items, 2_000), { a: 1_500, c: 500 });
});

test('a weight change or a new deployment is taken up without breaking the rotation', () => {
  const picker = createWeightedPicker();
  countFirstPicks(
    picker,
    'g',
    [
      { id: 'a', weight: 3 },
      { id: 'b', weight: 1 },
    ],
    3,
  );
  const changed = countFirstPicks(
    picker,
    'g',
    [
      { id: 'a', weight: 1 },
      { id: 'b', weight: 1 },
    ],
    2_000,
  );
  assert.ok(Math.abs((changed.a ?? 0) - 1_000) <= 1, JSON.stringify(changed));
  const grown = countFirstPicks(
    picker,
    'g',
    [
      { id: 'a', weight: 1 },
      { id: 'b', weight: 1 },
      { id: 'new', weight: 2 },
    ],
    4_000,
  );
  assert.ok(Math.abs((grown.new ?? 0) - 2_000) <= 1, JSON.stringify(grown));
  assert.ok(Math.abs((grown.a ?? 0) - 1_000) <= 1, JSON.stringify(grown));
});

test('deterministic for a given history, and groups keep separate state', () => {
  const items = [
    { id: 'a', weight: 2 },
    { id: 'b', weight: 1 },
    { id: 'c', weight: 1 },
  ];
  const run = (): string[][] => {
    const picker = createWeightedPicker();
    const orders: string[][] = [];
    for (let call = 0; call < 50; call++) {
      orders.push(
        picker.order(call % 3 === 0 ? 'x' : 'y', call % 5 === 0 ? items.slice(1) : items),
      );
    }
    return orders;
  };
  assert.deepEqual(run(), run());

  const picker = createWeightedPicker();
  assert.equal(firstPicks(picker, 'x', items, 2), 'ab');
  // Group y starts fresh although x already picked twice.
  assert.equal(firstPicks(picker, 'y', items, 2), 'ab');
});

test('a single item is returned as is and leaves the group state alone', () => {
  const items = [
    { id: 'a', weight: 3 },
    { id: 'b', weight: 1 },
  ];
  const plain = createWeightedPicker();
  const interrupted = createWeightedPicker();
  let plainSequence = '';
  let interruptedSequence = '';
  for (let call = 0; call < 12; call++) {
    plainSequence += plain.order('g', items)[0];
    assert.deepEqual(interrupted.order('g', [{ id: 'a', weight: 3 }]), ['a']);
    interruptedSequence += interrupted.order('g', items)[0];
  }
  assert.equal(interruptedSequence, plainSequence);
  assert.deepEqual(createWeightedPicker().order('g', []), []);
});

test('a non-positive weight is never picked first while a positive one is present', () => {
  const picker = createWeightedPicker();
  const items = [
    { id: 'standby', weight: 0 },
    { id: 'broken', weight: Number.NaN },
    { id: 'main', weight: 1 },
  ];
  for (let call = 0; call < 20; call++) {
    assert.deepEqual(picker.order('g', items), ['main', 'standby', 'broken']);
  }
});
