/**
 * Saves text as a file through a temporary object URL: generated voucher codes exist only in the
 * page's memory, and fetched CSVs arrive through the CSRF-aware client rather than a plain link.
 */
export function downloadTextFile(options: {
  text: string;
  fileName: string;
  mimeType: string;
}): void {
  const url = URL.createObjectURL(new Blob([options.text], { type: options.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = options.fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked on the next task: the click has started the download by then.
  window.setTimeout(() => URL.revokeObjectURL(url), 0);
}
