/**
 * The HTML around each page: the stylesheet and script bundled from web/, the boot data, and a header
 * with who is signed in and a sign-out button (a plain form, so it works even if the script does not).
 * Message pages (signed out, link expired, no access) are the same document without a script.
 */
import type { UiAssets } from './assets.ts';
import { BOOT_ELEMENT_ID, type PageBoot } from './boot.ts';
import { SIGN_OUT_PATH } from './paths.ts';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON inside a script element: `<` escaped so no value can close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

interface DocumentParts {
  title: string;
  assets: UiAssets;
  /** Pages with a script: what it starts from. */
  boot?: PageBoot;
  /** The main element's content before the script takes over (or the whole message). */
  main: string;
}

export function renderDocument({ title, assets, boot, main }: DocumentParts): string {
  const who = boot
    ? `<div class="who"><span>Signed in as <strong>${escapeHtml(boot.person.name ?? boot.person.subject)}</strong> (${boot.person.role === 'platform_admin' ? 'platform admin' : 'organisation admin'})</span>
<form method="post" action="${SIGN_OUT_PATH}"><input type="hidden" name="_csrf" value="${escapeHtml(boot.csrfToken)}"><button type="submit" class="button secondary">Sign out</button></form></div>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${assets.stylesheet}">
${boot ? `<script type="module" src="${assets.scriptFor(boot.page)}"></script>` : ''}
</head>
<body>
<header class="top"><span class="brand">xero-sync</span>${who}</header>
<main id="app" tabindex="-1">${main}</main>
${boot ? `<script type="application/json" id="${BOOT_ELEMENT_ID}">${scriptJson(boot)}</script>` : ''}
</body>
</html>`;
}

/** A page that only says something: what happened and what to do. */
export function renderMessage(assets: UiAssets, { title, message }: { title: string; message: string }): string {
  return renderDocument({ title, assets, main: `<section class="message"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></section>` });
}
