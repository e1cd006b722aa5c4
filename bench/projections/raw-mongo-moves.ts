import type { Collection, Db } from 'mongodb';

import { timeOnce } from '../measure.js';
import type { Timing } from '../measure.js';
import type { Move } from './moves.js';
import { movesCollection } from './work-item-moves.js';

interface StoredMove {
  _id: string;
  moves?: number;
}

/**
 * The projection's writes with the mongodb driver alone: the command the
 * adapter sends for a position-guarded upsert, awaited one by one as the
 * adapter awaits them.
 */
export async function rawMongoMoves(
  db: Db,
  moves: readonly Move[],
): Promise<Timing> {
  const collection = db.collection<StoredMove>(movesCollection);

  return timeOnce(async () => {
    for (const move of moves) await write(collection, move);
    return moves.length;
  });
}

async function write(
  collection: Collection<StoredMove>,
  { id, column, position }: Move,
): Promise<void> {
  const at = BigInt(position);

  await collection.updateOne(
    { _id: id, _position: { $not: { $gte: at } } },
    { $set: { column, _position: at }, $inc: { moves: 1, _version: 1 } },
    { upsert: true },
  );
}

export async function rawCountedMoves(db: Db): Promise<number> {
  const docs = await db
    .collection<StoredMove>(movesCollection)
    .find({}, { projection: { moves: 1 } })
    .toArray();

  return docs.reduce((sum, doc) => sum + (doc.moves ?? 0), 0);
}
