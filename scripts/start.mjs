// `npm start`: until the mock server lands, say what this command will do.
console.log(
  [
    'npm start will run the NextGen Office mock server (`patient-access-mock`) on its embedded',
    'default data and build the Chrome extension, ready to load unpacked.',
    'The mock server is not built yet: see the open issues.',
  ].join('\n'),
);
