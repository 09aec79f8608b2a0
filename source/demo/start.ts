/**
 * `npm start`: set up the demo environment inside the repository and open the home menu on it.
 * `npm start -- --reset` rebuilds the demo files; other arguments go to cavra-rollback.
 */
import {fileURLToPath} from 'node:url';
import {main} from '../main.js';
import {ensureDemoState} from './setup.js';

const args = process.argv.slice(2);
const reset = args.includes('--reset');
const rest = args.filter(arg => arg !== '--reset');
const dir = fileURLToPath(new URL('../../demo-state/', import.meta.url));
const configPath = await ensureDemoState(dir, {reset});
process.stderr.write(`demo: using ${configPath} (files in ${dir}; npm start -- --reset to rebuild them)\n`);
process.exitCode = await main(['--config', configPath, ...rest]);
