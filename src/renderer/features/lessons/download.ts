/** Saving an exported file: a Blob behind an object URL and a temporary <a download> (no inline script, CSP-safe). */
import type { ExportedFile } from '../../../shared/lessons';

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function saveExportedFile(file: ExportedFile): void {
  const url = URL.createObjectURL(new Blob([base64ToBytes(file.dataBase64)], { type: file.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The click starts the download synchronously; the URL can go once the event loop moves on.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export const LESSON_FILE_ACCEPT = '.mid,.midi,.wav,.flac,.mp3,.ogg';
export const BUNDLE_FILE_ACCEPT = '.seminote-lesson,.zip';
