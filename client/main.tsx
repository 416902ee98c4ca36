import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import 'tldraw/tldraw.css'
import './styles.css'
import { App } from './App.tsx'
import { applyStoredTheme } from './board/theme.ts'
import { sessionStore } from './state/session.ts'

document.documentElement.lang = sessionStore.getState().language
applyStoredTheme()
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
