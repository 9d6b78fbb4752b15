import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { apportionBasisPoints } from './apportion-basis-points.ts';

test('the points left after flooring go to the largest remainders, earlier first on ties', () => {
  assert.deepEqual(apportionBasisPoints([1n, 1n, 1n]), [3334, 3333, 3333]);
  assert.deepEqual(apportionBasisPoints([3_000_001n, 1_000_001n]), [7500, 2500]);
  assert.deepEqual(apportionBasisPoints([1n, 2n]), [3333, 6667]);
  assert.deepEqual(apportionBasisPoints([5n, 0n]), [10000, 0]);
  assert.deepEqual(apportionBasisPoints([0n, 0n]), [0, 0]);
  assert.deepEqual(apportionBasisPoints([]), []);
});

test('shares always sum to 10,000 and each is within one point of its exact share', () => {
  fc.assert(
    fc.property(fc.array(fc.bigInt({ min: 0n, max: 10n ** 15n }), { maxLength: 12 }), (amounts) => {
      const total = amounts.reduce((sum, amount) => sum + amount, 0n);
      const shares = apportionBasisPoints(amounts);
      assert.equal(shares.length, amounts.length);
      assert.equal(
        shares.reduce((sum, share) => sum + share, 0),
        total === 0n ? 0 : 10_000,
      );
      if (total === 0n) return;
      amounts.forEach((amount, index) => {
        const floor = Number((amount * 10_000n) / total);
        assert.ok(shares[index] === floor || shares[index] === floor + 1);
      });
    }),
  );
});
