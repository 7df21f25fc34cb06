import { render } from 'preact';
import { createApi } from '../lib/api.ts';
import { readBoot } from '../lib/boot.ts';
import { SettingsPage } from './settings-page.tsx';

const boot = readBoot();
const app = document.getElementById('app')!;
app.textContent = ''; // the server's "Loading…"
render(<SettingsPage boot={boot} api={createApi(boot.csrfToken)} />, app);
