// One lint configuration for the repository: typescript-eslint's type-aware recommended rules for the TypeScript
// (src, definitions, test, bench, local), eslint's recommended rules for the plain-node scripts. Formatting belongs
// to prettier: eslint-config-prettier turns the overlapping rules off and `npm run lint` runs `prettier --check`.
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '.botpress/',
      'bp_modules/',
      'coverage/',
      'test-results/',
      'bench-results/',
      'local/public/',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // The fakes answer a refused call by throwing a Refusal (not an Error) that their dispatcher turns into the
      // service's error body.
      '@typescript-eslint/only-throw-error': ['error', { allow: [{ from: 'file', name: 'Refusal' }] }],
      // `any` is checked by tsc where it is written; the rules that follow every `any` through the code (tests read
      // JSON replies as `any` on purpose) are not on yet.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // `as CreateEvent` on an event whose type is a generic T: the rule sees no change of type, tsc needs it.
    files: ['src/webhook/dispatch.ts'],
    rules: { '@typescript-eslint/no-unnecessary-type-assertion': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    rules: {
      curly: 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'error',
      // a `let` assigned once, after the closures that read it are made (local/start.ts wires parts both ways)
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // The tests, the bench and the local sandbox load built bundles at run time, by a path only known then.
    files: ['test/**', 'bench/**', 'local/**'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // command-line programs: the console is their output
    files: ['scripts/**', 'bench/**', 'local/**'],
    rules: { 'no-console': 'off' },
  },
  prettier
)
