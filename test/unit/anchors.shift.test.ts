import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shiftRange, shiftRanges, type TextEdit } from '../../src/core/anchors/shiftRange';

const edit = (startLine: number, startChar: number, endLine: number, endChar: number, text: string): TextEdit => ({
  startLine,
  startChar,
  endLine,
  endChar,
  text,
});
const R = { start: 10, end: 14 };

describe('live tracking: ranges follow edits', () => {
  it('lines inserted or deleted above shift the range', () => {
    assert.deepEqual(shiftRange(R, edit(2, 0, 2, 0, 'a\nb\n')), { start: 12, end: 16 });
    assert.deepEqual(
      shiftRange(R, edit(10, 0, 10, 0, '\n')),
      { start: 11, end: 15 },
      'Enter at column 0 of its first line',
    );
    assert.deepEqual(
      shiftRange(R, edit(9, 5, 9, 5, '\n')),
      { start: 11, end: 15 },
      'Enter at the end of the line above',
    );
    assert.deepEqual(shiftRange(R, edit(3, 0, 6, 0, '')), { start: 7, end: 11 });
    assert.deepEqual(shiftRange(R, edit(9, 3, 10, 0, '')), { start: 9, end: 13 }, 'joining the line above onto it');
  });

  it('edits below, and typing within a line, leave it', () => {
    assert.deepEqual(shiftRange(R, edit(20, 0, 20, 0, 'x\n')), R);
    assert.deepEqual(shiftRange(R, edit(12, 4, 12, 4, 'abc')), R);
    assert.deepEqual(
      shiftRange(R, edit(14, 9, 14, 9, '\n')),
      { start: 10, end: 15 },
      'Enter in the last line grows it',
    );
  });

  it('lines added or removed inside grow or shrink it; it keeps one line', () => {
    assert.deepEqual(shiftRange(R, edit(12, 0, 12, 0, 'x\ny\n')), { start: 10, end: 16 });
    assert.deepEqual(shiftRange(R, edit(11, 0, 13, 0, '')), { start: 10, end: 12 });
    assert.deepEqual(
      shiftRange(R, edit(8, 0, 12, 0, '')),
      { start: 8, end: 10 },
      'a deletion from above takes its top',
    );
    assert.deepEqual(shiftRange(R, edit(5, 0, 30, 0, '')), { start: 5, end: 5 });
  });

  it('several edits of one event apply bottom-up, in the coordinates before the event', () => {
    const ranges = [
      { id: 'a', start: 10, end: 14 },
      { id: 'b', start: 30, end: 30 },
    ];
    const out = shiftRanges(ranges, [edit(0, 0, 0, 0, 'x\n'), edit(20, 0, 20, 0, 'y\nz\n')]);
    assert.deepEqual(out, [
      { id: 'a', start: 11, end: 15 },
      { id: 'b', start: 33, end: 33 },
    ]);
    assert.equal(shiftRanges(ranges, [edit(40, 0, 40, 0, 'x\n')])[0], ranges[0], 'an unmoved range is the same object');
  });
});
