import type { Faker } from '@faker-js/faker';
import { faker as enUs } from '@faker-js/faker/locale/en_US';

// The package root imports every one of faker's locales, about 250 ms of the bin's cold start;
// the en_US entry imports one. Its instance's class and merged definitions make independent
// instances that draw exactly what `new Faker({ locale: [en_US, en] })` draws.
const FakerClass = enUs.constructor as new (options: { locale: Faker['rawDefinitions'] }) => Faker;

/**
 * A new en_US faker seeded with `seed`, sharing no state with any other, so a record's data
 * depends only on its seed and never on the order records are generated in.
 */
export function seededFaker(seed: number | number[]): Faker {
  const faker = new FakerClass({ locale: enUs.rawDefinitions });
  faker.seed(seed);
  return faker;
}
