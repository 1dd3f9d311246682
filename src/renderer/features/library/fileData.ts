/** Reading picked files for the API, which takes file contents as base64. */

/** Base64 of raw bytes, in chunks so large files do not overflow the argument limit of fromCharCode. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

export async function fileToBase64(file: Blob): Promise<string> {
  return bytesToBase64(new Uint8Array(await file.arrayBuffer()));
}

export const SCORE_FILE_ACCEPT = '.musicxml,.xml,.mxl,.mid,.midi';
