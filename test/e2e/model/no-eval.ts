import { config } from 'zod';

// Imported first by in-page.ts: the bundle's own copy of zod (loading graphs to predict their text)
// runs under the page's CSP, which forbids eval, and zod decides on compiling its parsers as each
// schema is made, so this must come before any schema module.
config({ jitless: true });
