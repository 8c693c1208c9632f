// A static single-page app: pages render in the browser, where the workers live.
export const prerender = true;
export const ssr = false;
