import { MemberLookup } from '../features/members/MemberLookup';
import { SignedInBar, SignInPanel } from '../features/signin/SignInPanel';
import { TerminalInfoPanel } from '../features/terminal/TerminalInfoPanel';
import { useAppStore } from '../state/context';

export function App() {
  const signedIn = useAppStore((s) => s.session.current !== null);
  const reachable = useAppStore((s) => s.terminal.status === 'ready');
  return (
    <div className="app">
      <header className="app-header">
        <h1>Tillsmith</h1>
        <TerminalInfoPanel />
      </header>
      <main className="app-main">
        {reachable && !signedIn && <SignInPanel />}
        {reachable && signedIn && (
          <>
            <SignedInBar />
            <MemberLookup />
          </>
        )}
      </main>
    </div>
  );
}
