import { byteOffsetToIndex, characterNumber, errorRange } from './errorRange';

describe('byteOffsetToIndex', () => {
  it.each([
    ['type:f', 3, 3],
    ['é:x', 2, 1], // é is 2 bytes
    ['€ AND', 4, 2], // € is 3 bytes, then the space
    ['😀x', 4, 2], // 4 bytes, 2 UTF-16 units
    ['abc', 99, 3],
  ])('%j byte %d is index %d', (text, bytes, index) => {
    expect(byteOffsetToIndex(text, bytes)).toBe(index);
  });
});

describe('errorRange', () => {
  const err = { message: 'm', hint: '', position: 0, length: 0 };

  it('spans the reported bytes', () => {
    expect(errorRange('type:f AND AND', { ...err, position: 11, length: 3 })).toEqual({ start: 11, end: 14 });
  });

  it('converts multi-byte text before the error', () => {
    expect(errorRange('user_name:"é" OR', { ...err, position: 15, length: 2 })).toEqual({ start: 14, end: 16 });
  });

  it('marks one character for a point error', () => {
    expect(errorRange('a b', { ...err, position: 2, length: 0 })).toEqual({ start: 2, end: 3 });
  });

  it('marks the last character for an error at the end', () => {
    expect(errorRange('type:', { ...err, position: 5, length: 0 })).toEqual({ start: 4, end: 5 });
  });
});

// The same queries as pkg/logquery/controls_test.go: the Go validator's byte offset, and the
// character number its message prints, which the editor must print too.
describe('characterNumber', () => {
  const err = { message: 'm', hint: '', length: 1 };
  it.each([
    ['type:s AND AND', 7, 8],
    ['user_name:"é" AND AND', 15, 15], // é: 2 bytes, 1 UTF-16 unit, 1 character
    ['description:"😀" OR ?x', 22, 20], // 😀: 4 bytes, 2 UTF-16 units, 1 character
    ['é😀 zz:x', 7, 4],
    ['é AND', 3, 3],
  ])('%j: byte %d is character %d, as the backend says', (text, position, char) => {
    const { start } = errorRange(text, { ...err, position });
    expect(characterNumber(text, start)).toBe(char);
  });
});
