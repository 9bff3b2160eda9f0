// Stands in for React Router's server build in the worker tests, which drive
// the room router, the queue consumer and storage directly. Pages are tested
// in a real browser against a real build (tests/e2e).
export {};
