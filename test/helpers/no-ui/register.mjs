// `node --import ./register.mjs dist/bundle/cli.js ...`: flags any load of ink or react on stderr.
import {register} from 'node:module';

register('./hooks.mjs', import.meta.url);
