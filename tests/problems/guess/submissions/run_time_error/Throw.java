// Run-time error: makes one guess, reads the reply, then throws (uncaught, exit status 1). No test
// case has 500 as its secret, so the interactor never accepts first.
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;

public class Throw {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        System.out.println(500);
        System.out.flush();
        String reply = in.readLine();
        throw new IllegalStateException("giving up after the reply " + reply);
    }
}
