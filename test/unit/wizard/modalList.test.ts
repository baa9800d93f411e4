// The list a modal confirmation shows: a modal taller than the window hides its buttons on VS Code 1.100 (found with
// about 60 writes, and again with 12 guests' long names), so it names at most 6 and cuts each line.
import assert from 'node:assert/strict';
import { MODAL_LINE, MODAL_WRITES, modalList } from '../../../src/wizard/modalList';

describe('wizard modal list', () => {
  const more = (n: number): string => `… and ${n} more`;

  it('names every item when there are few, and asks for no count', () => {
    let asked = false;
    const lines = modalList(['Owner for Ada', 'Reader for Bo'], (n) => { asked = true; return more(n); });
    assert.deepEqual(lines, ['• Owner for Ada', '• Reader for Bo']);
    assert.equal(asked, false);
  });

  it(`names ${MODAL_WRITES} and counts the rest`, () => {
    const items = Array.from({ length: 60 }, (_, i) => `Contributor for user ${i}`);
    const lines = modalList(items, more);
    assert.equal(lines.length, MODAL_WRITES + 1);
    assert.equal(lines.at(-1), `… and ${60 - MODAL_WRITES} more`);
    assert.deepEqual(lines.slice(0, MODAL_WRITES), items.slice(0, MODAL_WRITES).map((t) => `• ${t}`));
    assert.equal(modalList(items.slice(0, MODAL_WRITES), more).length, MODAL_WRITES, 'exactly the cap: no count line');
  });

  it(`cuts a line longer than ${MODAL_LINE} characters, with an ellipsis`, () => {
    const guest = `Owner for ${'averylongname_contoso.com#EXT#@fabrikamlabs.onmicrosoft.com '.repeat(5)}`;
    const only = modalList([guest], more).at(0) ?? '';
    assert.equal(only.length, 2 + MODAL_LINE);
    assert.ok(only.endsWith('…'));
    assert.ok(only.startsWith(`• ${guest.slice(0, MODAL_LINE - 1)}`));
  });
});
