import { serializedProvider } from "../test/helpers/providers";
(async () => {
  const text = await serializedProvider(process.argv[2]);
  require("fs").writeFileSync("/tmp/provider.js", text);
  process.exit(0);
})();
