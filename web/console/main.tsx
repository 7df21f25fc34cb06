import { render } from 'preact';
import { createApi } from '../lib/api.ts';
import { readBoot } from '../lib/boot.ts';
import { SessionWatch } from '../components/session.tsx';
import { OrganisationsTable } from './organisations-table.tsx';
import { OrganisationView } from './organisation-view.tsx';

const boot = readBoot();
const api = createApi(boot.csrfToken);
const app = document.getElementById('app')!;
app.textContent = ''; // the server's "Loading…"
render(
  <div class="page wide">
    <SessionWatch />
    {boot.orgId ? <OrganisationView api={api} boot={boot} orgId={boot.orgId} /> : <OrganisationsTable api={api} />}
  </div>,
  app,
);
