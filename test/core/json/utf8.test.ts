import {describe, expect, it} from 'vitest';
import {decodeUtf8} from '../../../source/core/json/utf8.js';
import {decodeLikePython} from '../../../source/core/readiness/metadata.js';

describe('decodeUtf8 (one decode per file for readiness and its lint)', () => {
	it('keeps a BOM, replaces invalid bytes, and answers the same for the same bytes', () => {
		const bytes = new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0xff, 0x7d]);
		expect(decodeUtf8(bytes)).toBe('\uFEFF{\uFFFD}');
		expect(decodeUtf8(bytes)).toBe('\uFEFF{\uFFFD}');
		expect(decodeUtf8(new TextEncoder().encode('{"a": "é"}'))).toBe('{"a": "é"}');
	});

	it('readiness still reads universal newlines, and leaves a text without CR as it is', () => {
		expect(decodeLikePython(new TextEncoder().encode('{\r\n"a":\r"b"}\n'))).toEqual({ok: true, text: '{\n"a":\n"b"}\n'});
		expect(decodeLikePython(new TextEncoder().encode('{\n"a": "b"}'))).toEqual({ok: true, text: '{\n"a": "b"}'});
	});
});
