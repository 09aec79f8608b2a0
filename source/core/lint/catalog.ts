import type {RuleMeta} from './finding.js';
import {promotionRules} from './promotion-rules.js';
import {publicSafetyRules} from './public-safety/index.js';
import {schemaRules} from './schema-rules.js';
import {syntaxRules} from './syntax-rules.js';

/** Every rule the linter can report, for SARIF metadata and documentation. */
export const allRules: readonly RuleMeta[] = [...syntaxRules, ...schemaRules, ...promotionRules, ...publicSafetyRules];
