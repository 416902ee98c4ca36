import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import 'tldraw/tldraw.css'
import './styles.css'
import { App } from './App.tsx'
import { sessionStore } from './state/session.ts'

document.documentElement.lang = sessionStore.getState().language
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
