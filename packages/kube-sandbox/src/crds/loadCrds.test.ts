import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultCrdDirectory, loadCrds } from './loadCrds';

describe('loadCrds', () => {
  const crds = loadCrds(defaultCrdDirectory());

  it('finds the shared CRD folder beside the repository', () => {
    expect(
      fs.existsSync(
        path.join(defaultCrdDirectory(), 'velero.io_schedules.yaml'),
      ),
    ).toBe(true);
  });

  it('loads every served version of every CRD with its names, scope and status subresource', () => {
    const summary = crds.map(crd => ({
      apiVersion: `${crd.group}/${crd.version}`,
      kind: crd.kind,
      listKind: crd.listKind,
      plural: crd.plural,
      singular: crd.singular,
      namespaced: crd.namespaced,
      status: crd.subresources.status,
      storage: crd.storage,
    }));
    expect(summary).toEqual([
      {
        apiVersion: 'snapscheduler.backube/v1',
        kind: 'SnapshotSchedule',
        listKind: 'SnapshotScheduleList',
        plural: 'snapshotschedules',
        singular: 'snapshotschedule',
        namespaced: true,
        status: true,
        storage: true,
      },
      {
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshotClass',
        listKind: 'VolumeSnapshotClassList',
        plural: 'volumesnapshotclasses',
        singular: 'volumesnapshotclass',
        namespaced: false,
        status: false,
        storage: true,
      },
      {
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshotContent',
        listKind: 'VolumeSnapshotContentList',
        plural: 'volumesnapshotcontents',
        singular: 'volumesnapshotcontent',
        namespaced: false,
        status: true,
        storage: true,
      },
      {
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshot',
        listKind: 'VolumeSnapshotList',
        plural: 'volumesnapshots',
        singular: 'volumesnapshot',
        namespaced: true,
        status: true,
        storage: true,
      },
      {
        apiVersion: 'velero.io/v1',
        kind: 'Backup',
        listKind: 'BackupList',
        plural: 'backups',
        singular: 'backup',
        namespaced: true,
        status: false,
        storage: true,
      },
      {
        apiVersion: 'velero.io/v1',
        kind: 'BackupStorageLocation',
        listKind: 'BackupStorageLocationList',
        plural: 'backupstoragelocations',
        singular: 'backupstoragelocation',
        namespaced: true,
        status: false,
        storage: true,
      },
      {
        apiVersion: 'velero.io/v2alpha1',
        kind: 'DataUpload',
        listKind: 'DataUploadList',
        plural: 'datauploads',
        singular: 'dataupload',
        namespaced: true,
        status: false,
        storage: true,
      },
      {
        apiVersion: 'velero.io/v1',
        kind: 'PodVolumeBackup',
        listKind: 'PodVolumeBackupList',
        plural: 'podvolumebackups',
        singular: 'podvolumebackup',
        namespaced: true,
        status: false,
        storage: true,
      },
      {
        apiVersion: 'velero.io/v1',
        kind: 'Restore',
        listKind: 'RestoreList',
        plural: 'restores',
        singular: 'restore',
        namespaced: true,
        status: false,
        storage: true,
      },
      {
        apiVersion: 'velero.io/v1',
        kind: 'Schedule',
        listKind: 'ScheduleList',
        plural: 'schedules',
        singular: 'schedule',
        namespaced: true,
        status: false,
        storage: true,
      },
      {
        apiVersion: 'velero.io/v1',
        kind: 'VolumeSnapshotLocation',
        listKind: 'VolumeSnapshotLocationList',
        plural: 'volumesnapshotlocations',
        singular: 'volumesnapshotlocation',
        namespaced: true,
        status: false,
        storage: true,
      },
    ]);
  });

  it('keeps short names, printer columns and the schema of each version', () => {
    const snapshot = crds.find(crd => crd.kind === 'VolumeSnapshot')!;
    expect(snapshot.shortNames).toEqual(['vs']);
    expect(snapshot.crdName).toBe('volumesnapshots.snapshot.storage.k8s.io');
    expect(snapshot.schema.required).toEqual(['spec']);
    expect(
      snapshot.schema.properties?.status?.properties?.restoreSize,
    ).toMatchObject({
      'x-kubernetes-int-or-string': true,
    });
    const schedule = crds.find(crd => crd.kind === 'Schedule')!;
    expect(schedule.additionalPrinterColumns).toContainEqual({
      description: 'A Cron expression defining when to run the Backup',
      jsonPath: '.spec.schedule',
      name: 'Schedule',
      type: 'string',
    });
    expect(
      schedule.schema.properties?.spec?.properties?.schedule,
    ).toMatchObject({ type: 'string' });
  });

  it('skips versions that are not served (the v1beta1 VolumeSnapshot* versions)', () => {
    expect(
      crds
        .filter(crd => crd.group === 'snapshot.storage.k8s.io')
        .map(crd => crd.version),
    ).toEqual(['v1', 'v1', 'v1']);
  });

  describe('on its own folders', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crds-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const crd = (versions: string) => `---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: { kind: Widget, plural: widgets }
  scope: Cluster
  versions:
${versions}`;

    it('gives one entry per served version and defaults listKind and singular', () => {
      fs.writeFileSync(
        path.join(dir, 'widgets.yaml'),
        crd(`  - name: v1
    served: true
    storage: true
    schema: { openAPIV3Schema: { type: object } }
    subresources: { status: {} }
  - name: v2
    served: true
    storage: false
    schema: { openAPIV3Schema: { type: object } }
  - name: v0
    served: false
    storage: false
    schema: { openAPIV3Schema: { type: object } }`),
      );
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'not yaml: [');
      expect(
        loadCrds(dir).map(c => [
          c.version,
          c.listKind,
          c.singular,
          c.namespaced,
          c.storage,
          c.subresources.status,
        ]),
      ).toEqual([
        ['v1', 'WidgetList', 'widget', false, true, true],
        ['v2', 'WidgetList', 'widget', false, false, false],
      ]);
    });

    it('refuses broken YAML and v1beta1 CRDs, naming the file', () => {
      fs.writeFileSync(path.join(dir, 'bad.yaml'), 'kind: [unclosed');
      expect(() => loadCrds(dir)).toThrow(/bad\.yaml/);
      fs.writeFileSync(
        path.join(dir, 'bad.yaml'),
        'apiVersion: apiextensions.k8s.io/v1beta1\nkind: CustomResourceDefinition\n',
      );
      expect(() => loadCrds(dir)).toThrow(
        /bad\.yaml: apiextensions.k8s.io\/v1beta1 CRDs are not supported/,
      );
    });

    it('honours KUBE_SANDBOX_CRDS', () => {
      const before = process.env.KUBE_SANDBOX_CRDS;
      process.env.KUBE_SANDBOX_CRDS = dir;
      try {
        expect(defaultCrdDirectory()).toBe(path.resolve(dir));
      } finally {
        if (before === undefined) delete process.env.KUBE_SANDBOX_CRDS;
        else process.env.KUBE_SANDBOX_CRDS = before;
      }
    });
  });
});
