export { BCRYPT_MAX_PASSWORD_BYTES, hashPassword } from './otobo-bcrypt';
export { verifyPassword } from './verify';
export { generatePassword } from './generate';
