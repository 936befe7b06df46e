import { benchFourbiz } from './fourbiz'
import { benchMessenger } from './messenger'

export async function main() {
  console.log(`Benchmark on Node ${process.version}, ${new Date().toISOString()}`)
  await benchMessenger()
  await benchFourbiz()
}
