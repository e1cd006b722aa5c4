import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The import directions of DESIGN.md ("Folders"). Each layer lists the
// folders it must not reach; the composition root (src/main.ts) may wire
// anything, and nothing under src/ may reach test/.
const layers = {
  domain: ['commands', 'projections', 'api', 'storage', 'crypto', 'ports'],
  commands: ['projections', 'api', 'storage'],
  projections: ['commands', 'api', 'storage'],
  api: ['storage'],
  storage: ['commands', 'projections', 'api'],
  crypto: ['commands', 'projections', 'api', 'storage'],
  ports: ['commands', 'projections', 'api', 'storage'],
};

const driverPackages = [
  'better-sqlite3',
  '@eventstore/db-client',
  'mongodb',
  'koa',
  '@koa/router',
  'pino',
];

function restrictFolders(folders, extra = []) {
  return [
    'error',
    {
      patterns: [
        {
          regex: `(^|/)(${[...folders, 'test'].join('|')})/`,
          message: 'This import breaks the layering in DESIGN.md.',
        },
        ...extra,
      ],
    },
  ];
}

const layerConfigs = Object.entries(layers).map(([layer, folders]) => ({
  files: [`src/${layer}/**/*.ts`],
  rules: {
    'no-restricted-imports': restrictFolders(
      folders,
      layer === 'domain'
        ? [
            {
              regex: `^(node:|${driverPackages.join('|')})`,
              message: 'The domain is pure: no I/O and no drivers.',
            },
          ]
        : [],
    ),
  },
}));

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'data', '.tmp'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'error',
    },
  },
  ...layerConfigs,
  {
    files: ['src/cli/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
