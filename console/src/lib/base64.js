function bytesToBase64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** UTF-8 text as base64 (the JSON wire form of an API blob such as Changes.GroundTruth). */
export const textToBase64 = (text) => bytesToBase64(new TextEncoder().encode(text));

/** A File or Blob as base64. */
export async function blobToBase64(blob) {
  return bytesToBase64(new Uint8Array(await blob.arrayBuffer()));
}
