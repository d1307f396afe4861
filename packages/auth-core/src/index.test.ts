import { readdirSync, readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import * as api from './index.js';

const read = (relative: string) => readFileSync(new URL(relative, import.meta.url), 'utf8');

function exportedNames(): { values: string[]; types: string[] } {
  const source = ts.createSourceFile('index.ts', read('./index.ts'), ts.ScriptTarget.Latest);
  const values: string[] = [];
  const types: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isExportDeclaration(statement)) continue;
    const clause = statement.exportClause;
    if (!clause || !ts.isNamedExports(clause)) throw new Error('index.ts uses export *');
    for (const element of clause.elements) {
      (statement.isTypeOnly || element.isTypeOnly ? types : values).push(element.name.text);
    }
  }
  return { values, types };
}

function readmeNames(): string[] {
  const readme = read('../README.md');
  const api = readme.slice(readme.indexOf('## API'), readme.indexOf('Behaviour worth knowing'));
  return api
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([A-Za-z_]\w*)`/g)])
    .map((match) => match[1] ?? '');
}

describe('the public API', () => {
  test('index.ts lists every export by name', () => {
    expect(read('./index.ts')).not.toMatch(/export \*/);
  });

  test('the README table names exactly what index.ts exports', () => {
    const { values, types } = exportedNames();
    expect(readmeNames().sort()).toEqual([...values, ...types].sort());
  });

  test('the runtime exports are the value names of index.ts', () => {
    expect(Object.keys(api).sort()).toEqual(exportedNames().values.sort());
  });

  test('no exported declaration names an oauth4webapi or jose type', () => {
    const exported = new Set([...exportedNames().values, ...exportedNames().types]);
    const leaks: string[] = [];
    for (const file of readdirSync(new URL('.', import.meta.url))) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
      const source = ts.createSourceFile(file, read(`./${file}`), ts.ScriptTarget.Latest, true);
      const foreign = foreignTypeNames(source);
      for (const statement of source.statements) {
        const name = declaredName(statement);
        if (name === undefined || !exported.has(name)) continue;
        for (const reference of signatureTypeReferences(statement)) {
          if (foreign.has(reference)) leaks.push(`${name} uses ${reference}`);
        }
      }
    }
    expect(leaks).toEqual([]);
  });
});

function foreignTypeNames(source: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement)) continue;
    const from = (statement.moduleSpecifier as ts.StringLiteral).text;
    if (from !== 'oauth4webapi' && from !== 'jose') continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) names.add(element.name.text);
    }
  }
  return names;
}

function declaredName(statement: ts.Statement): string | undefined {
  if (
    ts.isInterfaceDeclaration(statement) ||
    ts.isTypeAliasDeclaration(statement) ||
    ts.isClassDeclaration(statement) ||
    ts.isFunctionDeclaration(statement)
  ) {
    return statement.name?.text;
  }
  if (ts.isVariableStatement(statement)) {
    const [declaration] = statement.declarationList.declarations;
    return declaration && ts.isIdentifier(declaration.name) ? declaration.name.text : undefined;
  }
  return undefined;
}

// The type names a declaration shows its callers: bodies and private members are left out.
function signatureTypeReferences(node: ts.Node): string[] {
  const found: string[] = [];
  const visit = (child: ts.Node): void => {
    if (ts.isBlock(child)) return;
    if (ts.isVariableDeclaration(child) && child.type === undefined) return;
    if (
      ts.canHaveModifiers(child) &&
      ts.getModifiers(child)?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword)
    ) {
      return;
    }
    if (ts.isPropertyDeclaration(child) && ts.isPrivateIdentifier(child.name)) return;
    if (ts.isTypeReferenceNode(child) || ts.isExpressionWithTypeArguments(child)) {
      found.push((ts.isTypeReferenceNode(child) ? child.typeName : child.expression).getText());
    }
    ts.forEachChild(child, visit);
  };
  ts.forEachChild(node, visit);
  return found;
}
