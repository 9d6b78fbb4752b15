import { type ReactNode, useEffect, useRef } from 'react';

/**
 * A native modal `<dialog>`: the browser traps focus, makes the page behind inert and closes on
 * Escape (reported through `onClose`). Mounted means open.
 */
export function ModalDialog({
  titleId,
  onClose,
  children,
}: {
  titleId: string;
  onClose(): void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    // StrictMode runs effects twice; opening an open dialog again would throw.
    if (dialog !== null && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog ref={ref} className="modal-dialog" aria-labelledby={titleId} onClose={onClose}>
      {children}
    </dialog>
  );
}
