// ESLint (flat config): typescript-eslint's recommended rules and Pulumi's own, which need the
// type checker (an Output interpolated into a template string is a bug only types can see).
const tseslint = require("typescript-eslint");
const pulumi = require("@pulumi/eslint-plugin");

module.exports = tseslint.config(
  { ignores: ["node_modules/", "dist/", "test/pulumi-cli/", ".scratch/", "**/*.js"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    plugins: { "@pulumi": pulumi },
    rules: {
      "@pulumi/no-output-in-template-literal": "error",
      "@pulumi/no-output-instance-in-template-literal": "error",
      // Wire data (AWS requests and responses, Pulumi property bags) is untyped JSON by nature.
      "@typescript-eslint/no-explicit-any": "off",
      // The providers load the AWS SDK with require inside each call: see providers/client.ts.
      "@typescript-eslint/no-require-imports": "off",
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
          ignoreRestSiblings: true,
        },
      ],
    },
  },
);
