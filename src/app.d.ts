// See https://svelte.dev/docs/kit/types#app.d.ts
import type { SandboxTestApi } from '$lib/components/testApi';

declare global {
  namespace App {}
  interface Window {
    /** The page's typed test API (src/lib/components/testApi.ts). */
    __sandbox?: SandboxTestApi;
  }
}
export {};
