import {credentialDetectors} from './credentials.js';
import type {Detector} from './detector.js';
import {encodedSecretDetector, kubernetesSecretData} from './encoded.js';
import {seeingThroughHidden} from './hidden.js';
import {endpointDetectors} from './endpoints.js';
import {personalDataDetectors} from './personal-data.js';
import {providerTokenDetectors} from './provider-tokens.js';
import {documentedTokenFormats} from './token-formats.js';
import {vendorKeyedSecret} from './vendor-keyed.js';
import {ruleClass, type RuleClass, type RuleId} from './rules.js';

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

// What a base64 blob decodes to is checked for secrets only.
const secretDetectors = plainDetectors.filter(d => classOfDetector(d) === 'secret');

export const syncDetectors: readonly Detector[] = [...plainDetectors, encodedSecretDetector(() => secretDetectors)].map(seeingThroughHidden);

export interface SensitiveSpan {
	start: number;
	end: number;
	rule: string;
	class: RuleClass;
}

/** The class a detector reports, named by its id (each family reports its own class); undefined: not known, always run. */
function classOfDetector(detector: Detector): RuleClass | undefined {
	try {
		return ruleClass(detector.id.split('#')[0] as RuleId);
	} catch {
		return undefined;
	}
}

const detectorClasses = syncDetectors.map(classOfDetector);

/**
 * Spans of `text` that the linter's detectors flag, restricted to the given classes (secrets by
 * default). Linear in `text`; a detector that throws loses only its own spans. Detectors of other
 * classes are not run: the redactor calls this on every output line, and endpoint and personal
 * data detectors are most of the engine's cost.
 */
export function findSensitiveSpans(text: string, classes: readonly RuleClass[] = ['secret']): SensitiveSpan[] {
	const spans: SensitiveSpan[] = [];
	for (const [index, detector] of syncDetectors.entries()) {
		const own = detectorClasses[index];
		if (own !== undefined && !classes.includes(own)) continue;
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
