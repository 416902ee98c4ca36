/**
 * Arvo follows tldraw's theme (THEME-1): inside the editor its panels read tldraw's
 * `tl-theme__dark` container; pages outside it (identity dialog, home) read the `arvo-dark`
 * class on `<html>`, set from tldraw's stored preference and kept in step with the editor.
 */
import { getUserPreferences, react, type Editor } from 'tldraw'

function setDark(dark: boolean): void {
  document.documentElement.classList.toggle('arvo-dark', dark)
}

/** Applies tldraw's stored colour scheme (light, dark or the system's) before any editor exists. */
export function applyStoredTheme(): void {
  const scheme = getUserPreferences().colorScheme ?? 'light'
  const systemDark = typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches
  setDark(scheme === 'dark' || (scheme === 'system' && systemDark))
}

/** Keeps `<html>` in step with the editor's theme (Preferences → Theme, Ctrl+/); returns a stop. */
export function bindTheme(editor: Editor): () => void {
  return react('arvo theme', () => setDark(editor.user.getIsDarkMode()))
}
