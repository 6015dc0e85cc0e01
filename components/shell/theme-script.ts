/**
 * Runs before the first paint (inlined in <head>) so the page never flashes the wrong theme:
 * the stored choice wins, otherwise the system preference.
 */
export const THEME_SCRIPT = `(function(){try{var t=localStorage.getItem("coredeck-theme");if(t!=="light"&&t!=="dark"){t=window.matchMedia("(prefers-color-scheme: dark)").matches?"dark":"light"}document.documentElement.dataset.theme=t}catch(e){document.documentElement.dataset.theme="light"}})();`;
