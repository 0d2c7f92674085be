import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createPosClient } from './api/client';
import { selectTransport } from './api/select-transport';
import { App } from './app/App';
import { StoreProvider } from './state/context';
import { createAppStore } from './state/store';
import './styles.css';

const transport = selectTransport();
const store = createAppStore({ api: createPosClient(transport), transportKind: transport.kind });
void store.getState().appStarted();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);
