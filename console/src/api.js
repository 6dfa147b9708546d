// The one way the console talks to the server: session cookie + CSRF token, JSON errors turned
// into Error objects whose message is the server's own words.

let sessionPromise = null;

/** The signed-in session ({accessKeyId, csrfToken, expiresAt}), fetched once. */
export function session() {
  if (!sessionPromise) {
    sessionPromise = request('GET', '/console/api/session').then((r) => r.json());
    sessionPromise.catch(() => { sessionPromise = null; });
  }
  return sessionPromise;
}

function signedOut() {
  location.reload();
  return new Error('Your session has ended. Please sign in again.');
}

/** Turns an error response (JSON {"__type","message"}, S3 XML, or text) into an Error. */
export async function errorOf(status, contentType, text) {
  let message = '';
  let code = '';
  if ((contentType || '').includes('json') || text.trim().startsWith('{')) {
    try {
      const j = JSON.parse(text);
      message = j.message || j.Message || '';
      code = String(j.__type || j.code || '').split('#').pop();
    } catch (_) { /* not JSON after all */ }
  } else if (text.trim().startsWith('<')) {
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    message = doc.querySelector('Message')?.textContent || '';
    code = doc.querySelector('Code')?.textContent || '';
  }
  const e = new Error(message || code || text.trim().slice(0, 300) || `The server answered ${status}.`);
  e.status = status;
  e.code = code;
  return e;
}

/** fetch with the session's CSRF token on every request that changes something. */
export async function request(method, path, { body, headers = {} } = {}) {
  const h = { ...headers };
  if (method !== 'GET' && method !== 'HEAD') h['X-CSRF-Token'] = (await session()).csrfToken;
  let payload = body;
  if (body !== undefined && body !== null && !(body instanceof Blob) && typeof body !== 'string') {
    payload = JSON.stringify(body);
    if (!h['Content-Type']) h['Content-Type'] = 'application/json';
  }
  let res;
  try {
    res = await fetch(path, { method, headers: h, body: payload, credentials: 'same-origin' });
  } catch (e) {
    throw new Error(`Could not reach the server (${e.message}).`);
  }
  if (res.status === 401) throw signedOut();
  if (!res.ok) throw await errorOf(res.status, res.headers.get('Content-Type'), await res.text());
  return res;
}

/** GET/POST/DELETE a console JSON endpoint; answers the parsed JSON ({} when empty). */
export async function consoleApi(method, path, body) {
  const res = await request(method, path, { body });
  const text = await res.text();
  return text ? JSON.parse(text) : {};
}

/** A Rekognition operation, exactly as the API answers it. */
export async function rekognition(operation, body = {}) {
  const res = await request('POST', '/console/api/rekognition', {
    body: JSON.stringify(body),
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `RekognitionService.${operation}`,
    },
  });
  const text = await res.text();
  return text ? JSON.parse(text) : {};
}

/** Every page of a paged Rekognition list operation, concatenated on `field`. */
export async function rekognitionAll(operation, body, field) {
  const out = [];
  let token;
  for (let i = 0; i < 1000; i++) {
    const r = await rekognition(operation, token ? { ...body, NextToken: token } : body);
    out.push(...(r[field] || []));
    token = r.NextToken;
    if (!token) break;
  }
  return out;
}

export function s3path(bucket, key) {
  const k = key ? '/' + key.split('/').map(encodeURIComponent).join('/') : '';
  return `/console/s3/${encodeURIComponent(bucket)}${k}`;
}

/** Creates the bucket unless it is already ours. */
export async function ensureBucket(bucket) {
  try {
    await request('PUT', s3path(bucket));
  } catch (e) {
    if (e.code !== 'BucketAlreadyOwnedByYou' && e.code !== 'BucketAlreadyExists') throw e;
  }
}

/** PUT one object with upload progress (onProgress(fraction 0..1)). */
export async function s3put(bucket, key, fileOrBlob, onProgress) {
  const token = (await session()).csrfToken;
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', s3path(bucket, key));
    xhr.setRequestHeader('X-CSRF-Token', token);
    xhr.setRequestHeader('Content-Type', fileOrBlob.type || 'application/octet-stream');
    xhr.upload.onprogress = (ev) => {
      if (onProgress && ev.lengthComputable) onProgress(ev.loaded / ev.total);
    };
    xhr.onload = async () => {
      if (xhr.status === 401) return reject(signedOut());
      if (xhr.status >= 200 && xhr.status < 300) {
        if (onProgress) onProgress(1);
        return resolve({ etag: xhr.getResponseHeader('ETag') });
      }
      reject(await errorOf(xhr.status, xhr.getResponseHeader('Content-Type'), xhr.responseText || ''));
    };
    xhr.onerror = () => reject(new Error(`Could not upload ${key}: the connection failed.`));
    xhr.send(fileOrBlob);
  });
}

/** GET one object; answers the Response. */
export function s3get(bucket, key) {
  return request('GET', s3path(bucket, key));
}

/** ListObjectsV2 under a prefix: [{key, lastModified (Date), size}], every page. */
export async function s3list(bucket, prefix = '', maxPages = 20) {
  const out = [];
  let token = '';
  for (let page = 0; page < maxPages; page++) {
    const q = new URLSearchParams({ 'list-type': '2', prefix });
    if (token) q.set('continuation-token', token);
    const res = await request('GET', `${s3path(bucket)}?${q}`);
    const doc = new DOMParser().parseFromString(await res.text(), 'application/xml');
    for (const c of doc.getElementsByTagName('Contents')) {
      const field = (n) => c.getElementsByTagName(n)[0]?.textContent || '';
      out.push({ key: field('Key'), lastModified: new Date(field('LastModified')), size: Number(field('Size')) });
    }
    const truncated = doc.getElementsByTagName('IsTruncated')[0]?.textContent === 'true';
    token = doc.getElementsByTagName('NextContinuationToken')[0]?.textContent || '';
    if (!truncated || !token) break;
  }
  return out;
}

export async function signOut() {
  try {
    await request('DELETE', '/console/api/session');
  } finally {
    location.reload();
  }
}
