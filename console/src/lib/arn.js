// arn:aws:rekognition:REGION:ACCOUNT:project/NAME[/dataset|version/NAME]/CREATED
export function parseArn(arn) {
  const m = /^arn:aws:rekognition:([^:]*):([^:]*):project\/([^/]+)(?:\/(dataset|version)\/([^/]+))?\/(\d+)$/.exec(arn || '');
  if (!m) return { region: '', project: '', kind: '', name: '' };
  return { region: m[1], account: m[2], project: m[3], kind: m[4] || 'project', name: m[5] || '' };
}

export const projectName = (arn) => parseArn(arn).project;
export const versionName = (arn) => parseArn(arn).name;
