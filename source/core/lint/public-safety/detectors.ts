import {credentialDetectors} from './credentials.js';
import type {Detector} from './detector.js';
import {encodedSecretDetector, kubernetesSecretData} from './encoded.js';
import {seeingThroughHidden} from './hidden.js';
import {endpointDetectors} from './endpoints.js';
import {personalDataDetectors} from './personal-data.js';
import {providerTokenDetectors} from './provider-tokens.js';
import {documentedTokenFormats} from './token-formats.js';
import {vendorKeyedSecret} from './vendor-keyed.js';
import {ruleClass, type RuleClass} from './rules.js';

/**
 * The one secret engine: every synchronous detector, in one list. The linter scans plan strings
 * with it, and the redactor (`core/evidence/redact.ts`) hides what it flags in command output,
 * argv, journal and evidence, so "what is a secret" is decided in one place.
 */
const plainDetectors: readonly Detector[] = [
	...providerTokenDetectors,
	documentedTokenFormats,
	vendorKeyedSecret,
	...credentialDetectors,
	kubernetesSecretData,
	...endpointDetectors,
	...personalDataDetectors,
];

export const syncDetectors: readonly Detector[] = [...plainDetectors, encodedSecretDetector(() => plainDetectors)].map(seeingThroughHidden);

export interface SensitiveSpan {
	start: number;
	end: number;
	rule: string;
	class: RuleClass;
}

/**
 * Spans of `text` that the linter's detectors flag, restricted to the given classes (secrets by
 * default). Linear in `text`; a detector that throws loses only its own spans.
 */
export function findSensitiveSpans(text: string, classes: readonly RuleClass[] = ['secret']): SensitiveSpan[] {
	const spans: SensitiveSpan[] = [];
	for (const detector of syncDetectors) {
		let matches;
		try {
			matches = detector.scan(text);
		} catch {
			continue;
		}
		for (const m of matches) {
			const klass = ruleClass(m.rule);
			if (m.end > m.start && classes.includes(klass)) spans.push({start: m.start, end: m.end, rule: m.rule, class: klass});
		}
	}
	return spans.sort((a, b) => a.start - b.start || b.end - a.end);
}
