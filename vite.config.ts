import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// The client is built into dist/client and served by our own Node server (one process, one port).
// In `npm run dev`, Vite serves the client and proxies the API and the sync websocket to the server.
const serverPort = Number(process.env.ARVO_DEV_SERVER_PORT ?? 8081)

export default defineConfig({
  root: 'client',
  plugins: [react()],
  // tldraw's fonts, icons and translations are bundled from @tldraw/assets (never a CDN).
  optimizeDeps: { exclude: ['@tldraw/assets'] },
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    // ARVO_NO_MINIFY=1 keeps readable names for profiling.
    minify: process.env.ARVO_NO_MINIFY ? false : undefined,
  },
  server: {
    proxy: {
      '/api': `http://127.0.0.1:${serverPort}`,
      '/sync': { target: `ws://127.0.0.1:${serverPort}`, ws: true },
    },
  },
})
