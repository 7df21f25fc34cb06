import { BOOT_ELEMENT_ID } from '../../api/ui/boot.ts';
import type { PageBoot } from './types.ts';

/** What the server handed this page (see api/ui/boot.ts). */
export function readBoot(): PageBoot {
  const element = document.getElementById(BOOT_ELEMENT_ID);
  if (!element?.textContent) throw new Error('the page has no boot data');
  return JSON.parse(element.textContent) as PageBoot;
}
