package io.latchkey.account;

import java.util.List;

/** One page of a user search: the users on it, and how many match in all. */
public record UserPage(List<UserAccount> users, int page, int size, long total) {
}
