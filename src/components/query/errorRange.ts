import { QueryValidationError } from '../../resources';

/** The number of UTF-8 bytes a code point takes. */
function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) {
    return 1;
  }
  if (codePoint < 0x800) {
    return 2;
  }
  return codePoint < 0x10000 ? 3 : 4;
}

/**
 * Converts a UTF-8 byte offset (what the Go validator reports) into an index of the JavaScript
 * string (UTF-16 code units). Offsets past the end give the string's length.
 */
export function byteOffsetToIndex(text: string, byteOffset: number): number {
  let bytes = 0;
  let i = 0;
  while (i < text.length && bytes < byteOffset) {
    const cp = text.codePointAt(i) ?? 0;
    bytes += utf8Length(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  return i;
}

/** The span of the query an error points at, as string indices; never empty, so it can be drawn. */
export function errorRange(text: string, error: QueryValidationError): { start: number; end: number } {
  const start = byteOffsetToIndex(text, Math.max(error.position, 0));
  let end = byteOffsetToIndex(text, Math.max(error.position, 0) + Math.max(error.length, 0));
  if (end <= start) {
    // A point error (e.g. "unexpected end"): mark the character there, or the last one at the end.
    if (start < text.length) {
      end = start + 1;
    } else {
      return { start: Math.max(text.length - 1, 0), end: text.length };
    }
  }
  return { start, end };
}

/**
 * The number a person reads for a string index: characters (Unicode code points) from 1, as an
 * editor counts columns and as the backend's messages count ("character 12: ..."). A JavaScript
 * index counts UTF-16 units, so an emoji before the error would otherwise add one.
 */
export function characterNumber(text: string, index: number): number {
  return Array.from(text.slice(0, Math.max(index, 0))).length + 1;
}
