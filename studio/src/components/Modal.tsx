import { useEffect, type ReactNode } from 'react';
import { ErrorBanner } from './ErrorBanner';

/**
 * A dialog over the page: Esc or a click beside it closes it, and a failed action's error is shown
 * inside it (a banner on the page behind the backdrop was not seen).
 */
export function Modal({ label, testId, className, error, onDismissError, onClose, children }: {
  label: string;
  testId: string;
  /** Extra class of the dialog box (its width). */
  className?: string;
  error?: unknown;
  onDismissError?: () => void;
  onClose: () => void;
  children: ReactNode;
}) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') { e.stopPropagation(); onClose(); } };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className={className ? `modal card ${className}` : 'modal card'} role="dialog" aria-modal="true" aria-label={label} data-testid={testId} onClick={(e) => e.stopPropagation()}>
        <ErrorBanner error={error} onDismiss={onDismissError} />
        {children}
      </div>
    </div>
  );
}
