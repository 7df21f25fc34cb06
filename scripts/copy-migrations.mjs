// The production build runs from dist/: the SQL migrations travel with it.
import { cpSync } from 'node:fs';
cpSync('db/migrations', 'dist/db/migrations', { recursive: true });
