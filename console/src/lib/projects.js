import { rekognition, rekognitionAll } from '../api.js';
import { projectName, versionName } from './arn.js';

/** One project by name: {name, arn, datasets: {train?: arn, test?: arn}} (throws when missing). */
export async function loadProject(name) {
  const r = await rekognition('DescribeProjects', { ProjectNames: [name] });
  const p = (r.ProjectDescriptions || [])[0];
  if (!p) throw new Error(`There is no project named ${name}.`);
  return describe(p);
}

function describe(p) {
  const datasets = {};
  for (const d of p.Datasets || []) datasets[String(d.DatasetType).toLowerCase()] = d.DatasetArn;
  return { name: projectName(p.ProjectArn), arn: p.ProjectArn, created: p.CreationTimestamp, datasets };
}

/** The project's versions, newest first, each with {name} added. */
export async function loadVersions(projectArn, names) {
  const body = names ? { ProjectArn: projectArn, VersionNames: names } : { ProjectArn: projectArn };
  const list = await rekognitionAll('DescribeProjectVersions', body, 'ProjectVersionDescriptions');
  return list
    .map((v) => ({ ...v, name: versionName(v.ProjectVersionArn) }))
    .sort((a, b) => (b.CreationTimestamp || 0) - (a.CreationTimestamp || 0));
}

/** Every project with its versions. */
export async function loadProjectsWithVersions() {
  const projects = (await rekognitionAll('DescribeProjects', {}, 'ProjectDescriptions')).map(describe);
  await Promise.all(projects.map(async (p) => {
    try {
      p.versions = await loadVersions(p.arn);
    } catch (e) {
      p.versions = [];
      p.versionsError = e.message;
    }
  }));
  return projects.sort((a, b) => a.name.localeCompare(b.name));
}
