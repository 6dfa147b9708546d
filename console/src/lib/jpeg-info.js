// The stored pixel grid (from the JPEG's frame header) and the EXIF orientation of a JPEG, read
// from its bytes: what the server's /console/api/entry answers for a dataset image, for images
// that are only S3 objects (the review loop). Not a JPEG: null.

function exifOrientation(view, start, length) {
  // start: the first byte after "Exif\0\0" (the TIFF header)
  if (length < 8) return 1;
  const little = view.getUint16(start) === 0x4949;
  const u16 = (at) => view.getUint16(start + at, little);
  const u32 = (at) => view.getUint32(start + at, little);
  if (u16(2) !== 42) return 1;
  const ifd = u32(4);
  if (ifd + 2 > length) return 1;
  const n = u16(ifd);
  for (let i = 0; i < n; i++) {
    const at = ifd + 2 + i * 12;
    if (at + 12 > length) break;
    if (u16(at) === 0x0112) {
      const o = u16(at + 8);
      return o >= 1 && o <= 8 ? o : 1;
    }
  }
  return 1;
}

/** {width, height, orientation} of a JPEG (ArrayBuffer), or null. */
export function jpegInfo(buffer) {
  const view = new DataView(buffer);
  if (view.byteLength < 4 || view.getUint16(0) !== 0xffd8) return null;
  let orientation = 1;
  let at = 2;
  while (at + 4 <= view.byteLength) {
    if (view.getUint8(at) !== 0xff) return null;
    const marker = view.getUint8(at + 1);
    if (marker === 0xff) { at += 1; continue; } // fill byte
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) { at += 2; continue; }
    const length = view.getUint16(at + 2);
    if (length < 2 || at + 2 + length > view.byteLength) return null;
    if (marker === 0xe1 && length >= 16 && view.getUint32(at + 4) === 0x45786966 && view.getUint16(at + 8) === 0) {
      orientation = exifOrientation(view, at + 10, length - 8);
    }
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC)
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: view.getUint16(at + 5), width: view.getUint16(at + 7), orientation };
    }
    if (marker === 0xda) return null; // scan data before any frame header
    at += 2 + length;
  }
  return null;
}
