import { isValidBoardId } from '../shared/protocol.ts'
import { BoardPage } from './pages/BoardPage.tsx'
import { HomePage } from './pages/HomePage.tsx'
import { NotFoundPage } from './pages/NotFoundPage.tsx'

/** Routes: `/` home, `/b/<boardId>` a board; anything else is not found. */
export function App() {
  const path = window.location.pathname
  if (path === '/' || path === '') return <HomePage />
  const m = /^\/b\/([^/]+)\/?$/.exec(path)
  if (m && isValidBoardId(m[1])) return <BoardPage boardId={m[1]} />
  return <NotFoundPage />
}
