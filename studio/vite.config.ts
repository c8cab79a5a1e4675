/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The API server listens on 5080; dev and preview servers forward /api to it so the app
// always talks to its own origin (the production server serves the studio itself at `/`).
const api = process.env.BWF_API ?? 'http://127.0.0.1:5080';
const proxy = { '/api': { target: api, changeOrigin: false } };

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1000 },
  server: { port: 5173, proxy },
  preview: { port: 4173, proxy },
  test: {
    environment: 'jsdom',
    setupFiles: ['src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    testTimeout: 20_000, // several 5 s findBy*/waitFor (src/test/setup.ts) may queue up on a loaded machine
  },
});
