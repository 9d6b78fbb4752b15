import { useEffect, useRef } from 'react';
import { createPortal } from 'react-dom';

/**
 * A modal question with a confirm and a cancel button. Mount it to ask; it opens as a native modal
 * dialog (focus trapped, Escape cancels) and the owner unmounts it on either answer. It renders into
 * `body` because owners sit inside tables, where a dialog element is not allowed.
 */
export function ConfirmDialog(props: {
  title: string;
  body: string;
  confirmLabel: string;
  cancelLabel: string;
  /** Red confirm button for actions that stop something. */
  danger: boolean;
  busy: boolean;
  onConfirm(): void;
  onCancel(): void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element !== null && !element.open) element.showModal();
    return () => element?.close();
  }, []);
  return createPortal(
    <dialog
      ref={dialog}
      className="admin-confirm-dialog"
      aria-labelledby="confirm-dialog-title"
      onCancel={(event) => {
        event.preventDefault();
        props.onCancel();
      }}
    >
      <h2 id="confirm-dialog-title">{props.title}</h2>
      <p>{props.body}</p>
      <div className="admin-confirm-dialog-actions">
        <button type="button" className="button-secondary" onClick={props.onCancel}>
          {props.cancelLabel}
        </button>
        <button
          type="button"
          className={props.danger ? 'admin-button-danger-solid' : undefined}
          disabled={props.busy}
          onClick={props.onConfirm}
        >
          {props.confirmLabel}
        </button>
      </div>
    </dialog>,
    document.body,
  );
}
